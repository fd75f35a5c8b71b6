"""The shapes of generated trees: the Ningling demo county and a province of any size.

Ningling (seed 004): one county committee over 745 grassroots organizations (基层党组织, as
the Party's own statistics count them: committees, general branches and branches, not the
county committee and not groups): 23 grassroots committees (its 14 towns and townships and
nine agency and sector committees), 364 rural village organizations and the agencies,
schools, hospitals, enterprises and social organizations of a county. Branches of
non-public enterprises bring the grassroots count to exactly 745; groups (党小组) split the
largest village branches and the urban grid branches.
"""

import datetime
import random

from dangjian.orgs.models import Kind, Level, Sector

from .names import Namer
from .tree import Node

K, S, L = Kind, Sector, Level

NINGLING_REGION = "411423"  # 河南省商丘市宁陵县
NINGLING_GRASSROOTS = 745
# Village branches split into three groups each (the largest ones).
NINGLING_GROUPED_VILLAGES = 30
NINGLING_MEMBERS = 19000
NINGLING_VILLAGES = 364

# Towns and townships with their number of village organizations (364 in all).
TOWNS = (
    ("城关回族镇", 12),
    ("张弓镇", 30),
    ("柳河镇", 28),
    ("逻岗镇", 33),
    ("石桥镇", 28),
    ("黄岗镇", 30),
    ("华堡镇", 26),
    ("刘楼乡", 24),
    ("程楼乡", 22),
    ("乔楼乡", 26),
    ("城郊乡", 25),
    ("阳驿乡", 25),
    ("赵村乡", 27),
    ("孔集乡", 28),
)
# Villages named in seed 004.
KNOWN_VILLAGES = {"柳河镇": "成楼", "城郊乡": "陈克常", "华堡镇": "老君屯"}
VILLAGE_COMMUNITIES = {"张弓镇": "张弓", "柳河镇": "柳河", "逻岗镇": "逻岗"}
COMMUNITIES = ("建设路", "人民路", "文化路", "华夏路", "葛天", "信陵", "中山", "迎宾")

COUNTY_AGENCIES = (
    "县委办公室",
    "县委组织部",
    "县人大常委会机关",
    "县政府办公室",
    "县政协机关",
    "县纪委监委机关",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县委编办",
    "县委党校",
    "县发展和改革委员会",
    "县财政局",
    "县人力资源和社会保障局",
    "县民政局",
    "县司法局",
    "县审计局",
    "县统计局",
    "县文化广电和旅游局",
    "县自然资源局",
    "县水利局",
    "县商务局",
    "县应急管理局",
    "县信访局",
    "县市场监督管理局",
    "县退役军人事务局",
    "县医疗保障局",
    "县林业发展中心",
    "县城市管理局",
    "县行政审批服务局",
    "县融媒体中心",
    "县机关事务服务中心",
    "县档案馆",
    "县总工会",
    "团县委",
    "县妇联",
    "县科协",
    "县工商联",
    "县残联",
    "县供销合作社",
    "县税务局",
    "县气象局",
    "县人民法院",
    "县人民检察院",
    "县科技和工业信息化局",
    "县生态环境分局",
    "县粮食和物资储备中心",
    "县乡村振兴服务中心",
)
AGENCY_GENERAL_BRANCHES = {"县政府办公室": 2, "县人民法院": 3}
INDUSTRIES = (
    "酥梨",
    "农业科技",
    "食品",
    "纺织",
    "服饰",
    "木业",
    "家具",
    "建材",
    "机械",
    "电子",
    "物流",
    "电子商务",
    "肥业",
    "面业",
    "新能源",
    "生物科技",
    "印务",
    "包装",
)
SOCIAL_ORGANIZATIONS = (
    "县酥梨协会",
    "县个体劳动者协会",
    "县物流协会",
    "县律师协会",
    "县民办教育协会",
    "县慈善总会",
    "县义工联合会",
    "县餐饮行业协会",
)


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _founded(rng, kind_of_unit: str) -> datetime.date:
    years = {
        "old": (1949, 1985),
        "village": (1950, 1990),
        "agency": (1978, 2010),
        "school": (1958, 2005),
        "enterprise": (2003, 2024),
        "social": (2008, 2024),
    }[kind_of_unit]
    return _day(rng, datetime.date(years[0], 1, 1), datetime.date(years[1], 12, 31))


def _phone(rng) -> str:
    return f"0370-{rng.randrange(7800000, 7899999)}"


class _Builder:
    def __init__(self, rng: random.Random, county="宁陵县"):
        self.rng = rng
        self.namer = Namer(rng)
        self.county = county

    def branch(
        self, name, sector, level, profile, weight, *, kind=K.BRANCH, founded="agency", address=""
    ):
        rng = self.rng
        return Node(
            name,
            kind,
            sector,
            level,
            profile=profile,
            weight=weight,
            founded_on=_founded(rng, founded),
            phone=_phone(rng),
            address=address or self.county,
        )

    def committee(self, name, sector, level, *, kind=K.COMMITTEE, founded="old", address=""):
        return Node(
            name,
            kind,
            sector,
            level,
            founded_on=_founded(self.rng, founded),
            phone=_phone(self.rng),
            address=address or self.county,
        )

    def general_branch(
        self, name, sector, level, profile, weights, *, founded="agency", address="", names=None
    ):
        """A general branch with len(weights) branches under it (第一党支部, ...)."""
        node = Node(
            name,
            K.GENERAL_BRANCH,
            sector,
            level,
            founded_on=_founded(self.rng, founded),
            phone=_phone(self.rng),
            address=address or self.county,
        )
        stem = name.removesuffix("党总支")
        for i, weight in enumerate(weights):
            label = names[i] if names else f"第{_NUMERALS[i]}"
            node.add(
                self.branch(
                    f"{stem}{label}党支部",
                    sector,
                    level,
                    profile,
                    weight,
                    founded=founded,
                    address=node.address,
                )
            )
        return node

    def add_groups(self, branch: Node, count: int, *, level=None, label="党小组", names=None):
        """Split a branch's members into `count` groups: the members sit in the groups."""
        stem = branch.name.removesuffix("党支部")
        for i in range(count):
            title = names[i] if names else f"第{_NUMERALS[i]}"
            branch.add(
                Node(
                    f"{stem}{title}{label}",
                    K.GROUP,
                    branch.sector,
                    level or branch.level,
                    profile=branch.profile,
                    weight=branch.weight / count,
                    founded_on=branch.founded_on,
                    address=branch.address,
                )
            )
        branch.profile, branch.weight = None, 0.0


_NUMERALS = "一二三四五六七八九十"


def _w(rng, low, high) -> float:
    return rng.uniform(low, high)


def ningling(seed: int) -> tuple[Node, dict[str, Node]]:
    """The demo county. Returns the root and a few named nodes (the township and the branch
    the demo users hold roles at, and the nodes whose members fill committees' seats)."""
    rng = random.Random(seed)
    b = _Builder(rng)
    root = Node(
        "中共宁陵县委",
        K.COMMITTEE,
        S.OTHER,
        L.COUNTY,
        region=NINGLING_REGION,
        founded_on=datetime.date(1949, 1, 15),
        phone="0370-7812345",
        address="宁陵县张弓路1号",
    )
    named: dict[str, Node] = {}
    villages: list[Node] = []

    # County agencies (县直机关工委): the county's office branches and two retirees' branches.
    agencies = root.add(
        b.committee(
            "中共宁陵县直属机关工作委员会",
            S.AGENCY,
            L.AGENCY,
            kind=K.WORKING_COMMITTEE,
            founded="agency",
        )
    )
    for unit in COUNTY_AGENCIES:
        if unit in AGENCY_GENERAL_BRANCHES:
            n = AGENCY_GENERAL_BRANCHES[unit]
            agencies.add(
                b.general_branch(
                    f"{unit}党总支",
                    S.AGENCY,
                    L.AGENCY,
                    "agency",
                    [_w(rng, 12, 30) for _ in range(n)],
                )
            )
        else:
            node = agencies.add(
                b.branch(f"{unit}党支部", S.AGENCY, L.AGENCY, "agency", _w(rng, 10, 40))
            )
            if unit in ("县委办公室", "县委组织部"):
                node.weight = _w(rng, 35, 45)
                named[unit] = node
    for n in ("第一", "第二"):
        agencies.add(
            b.branch(
                f"县直机关离退休干部{n}党支部", S.AGENCY, L.AGENCY, "retired", _w(rng, 60, 100)
            )
        )

    # Towns and townships.
    for town, n_villages in TOWNS:
        hui = 0.2 if town == "城关回族镇" else 0.0
        address = f"宁陵县{town}"
        node = root.add(b.committee(f"中共{town}委员会", S.RURAL, L.TOWNSHIP, address=address))
        node.hui = hui
        office = node.add(
            b.branch(
                f"{town}机关党支部", S.AGENCY, L.AGENCY, "agency", _w(rng, 28, 45), address=address
            )
        )
        named[f"{town}机关"] = office
        names = set()
        if town in KNOWN_VILLAGES:
            names.add(KNOWN_VILLAGES[town])
        while len(names) < n_villages:
            names.add(b.namer.village())
        ordered = ([KNOWN_VILLAGES[town]] if town in KNOWN_VILLAGES else []) + sorted(
            names - {KNOWN_VILLAGES.get(town)}
        )
        short = town.removesuffix("回族镇").removesuffix("镇").removesuffix("乡")
        for village in ordered:
            where = f"{address}{village}村"
            if rng.random() < 0.025:
                # A large village: a general branch with branches under it.
                count = rng.choice((2, 3))
                node.add(
                    b.general_branch(
                        f"{short}{village}村党总支",
                        S.RURAL,
                        L.VILLAGE,
                        "rural",
                        [_w(rng, 22, 40) for _ in range(count)],
                        founded="village",
                        address=where,
                    )
                )
            else:
                villages.append(
                    node.add(
                        b.branch(
                            f"{short}{village}村党支部",
                            S.RURAL,
                            L.VILLAGE,
                            "rural",
                            rng.lognormvariate(3.5, 0.35),
                            founded="village",
                            address=where,
                        )
                    )
                )
        if town in VILLAGE_COMMUNITIES:
            node.add(
                b.branch(
                    f"{short}{VILLAGE_COMMUNITIES[town]}社区党支部",
                    S.VILLAGE_COMMUNITY,
                    L.COMMUNITY,
                    "community",
                    _w(rng, 40, 70),
                    founded="agency",
                    address=address,
                )
            )
        if town == "城关回族镇":
            for i, community in enumerate(COMMUNITIES):
                where = f"{address}{community}社区"
                if i == 0:
                    # An urban general branch with grid branches and building groups under them.
                    general = node.add(
                        b.general_branch(
                            f"{community}社区党总支",
                            S.COMMUNITY,
                            L.COMMUNITY,
                            "community",
                            [_w(rng, 25, 40) for _ in range(3)],
                            names=["第一网格", "第二网格", "第三网格"],
                            address=where,
                        )
                    )
                    for grid in general.children:
                        grid.level = L.GRID
                        b.add_groups(grid, 2, level=L.BUILDING, names=["1号楼", "2号楼"])
                else:
                    node.add(
                        b.branch(
                            f"{community}社区党支部",
                            S.COMMUNITY,
                            L.COMMUNITY,
                            "community",
                            _w(rng, 30, 80),
                            founded="agency",
                            address=where,
                        )
                    )
        for _ in range(1 if n_villages < 26 else 2):
            village = b.namer.village()
            if rng.random() < 0.5:
                title = f"宁陵县{short}{village}{rng.choice(('酥梨', '蔬菜', '种植', '养殖'))}专业合作社党支部"
            else:
                title = f"宁陵县{b.namer.place()}{rng.choice(INDUSTRIES)}有限公司党支部"
            node.add(
                b.branch(
                    title,
                    S.PRIVATE_ENTERPRISE,
                    L.ENTERPRISE,
                    "private",
                    _w(rng, 3, 12),
                    founded="enterprise",
                    address=address,
                )
            )

    # Non-public enterprises and social organizations (两新组织).
    two_new = root.add(
        b.committee(
            "中共宁陵县非公有制经济组织和社会组织委员会",
            S.PRIVATE_ENTERPRISE,
            L.AGENCY,
            founded="enterprise",
        )
    )
    companies: set[str] = set()

    def add_companies(n):
        new = set()
        while len(new) < n:
            name = f"宁陵县{b.namer.place()}{rng.choice(INDUSTRIES)}有限公司"
            if name not in companies:
                new.add(name)
        companies.update(new)
        for company in sorted(new):
            two_new.add(
                b.branch(
                    f"{company}党支部",
                    S.PRIVATE_ENTERPRISE,
                    L.ENTERPRISE,
                    "private",
                    _w(rng, 3, 15),
                    founded="enterprise",
                )
            )

    add_companies(30)
    for unit in SOCIAL_ORGANIZATIONS:
        two_new.add(
            b.branch(
                f"{unit}党支部",
                S.SOCIAL_ORGANIZATION,
                L.SOCIAL,
                "social",
                _w(rng, 3, 8),
                founded="social",
            )
        )
    for unit in ("宁陵县商贸城非公企业", "宁陵县电子商务产业园"):
        two_new.add(
            b.branch(
                f"{unit}联合党支部",
                S.PRIVATE_ENTERPRISE,
                L.ENTERPRISE,
                "private",
                _w(rng, 6, 12),
                kind=K.JOINT_BRANCH,
                founded="enterprise",
            )
        )

    # Sector committees, each with its office branch first.
    def sector_committee(name, office, sector, level=L.AGENCY):
        node = root.add(b.committee(f"中共宁陵县{name}委员会", sector, level, founded="agency"))
        node.add(b.branch(f"{office}机关党支部", S.AGENCY, L.AGENCY, "agency", _w(rng, 15, 30)))
        return node

    edu = sector_committee("教育系统", "县教育体育局", S.SCHOOL)
    edu.add(
        b.general_branch(
            "宁陵县高级中学党总支",
            S.SCHOOL,
            L.INSTITUTION,
            "school",
            [_w(rng, 25, 40) for _ in range(3)],
            names=["高一年级", "高二年级", "高三年级"],
            founded="school",
        )
    )
    for school in (
        "宁陵县第二高级中学",
        "宁陵县实验中学",
        "宁陵县第一初级中学",
        "宁陵县职业技术教育中心",
        "宁陵县第一实验小学",
        "宁陵县第二实验小学",
        "宁陵县特殊教育学校",
        "宁陵县幼儿园",
    ):
        edu.add(
            b.branch(
                f"{school}党支部",
                S.SCHOOL,
                L.INSTITUTION,
                "school",
                _w(rng, 12, 45),
                founded="school",
            )
        )
    for town, _ in TOWNS:
        edu.add(
            b.branch(
                f"{town}中心学校党支部",
                S.SCHOOL,
                L.INSTITUTION,
                "school",
                _w(rng, 15, 35),
                founded="school",
                address=f"宁陵县{town}",
            )
        )
    for town, _ in TOWNS[1:9]:
        edu.add(
            b.branch(
                f"{town}第一初级中学党支部",
                S.SCHOOL,
                L.INSTITUTION,
                "school",
                _w(rng, 8, 20),
                founded="school",
                address=f"宁陵县{town}",
            )
        )

    health = sector_committee("卫生健康系统", "县卫生健康委员会", S.HOSPITAL)
    health.add(
        b.general_branch(
            "宁陵县人民医院党总支",
            S.HOSPITAL,
            L.INSTITUTION,
            "hospital",
            [_w(rng, 25, 45) for _ in range(4)],
            names=["内科", "外科", "医技", "行政后勤"],
            founded="school",
        )
    )
    for unit in (
        "宁陵县中医院",
        "宁陵县妇幼保健院",
        "宁陵县疾病预防控制中心",
        "宁陵县卫生健康监督所",
        "宁陵县第二人民医院",
    ):
        health.add(
            b.branch(
                f"{unit}党支部",
                S.HOSPITAL,
                L.INSTITUTION,
                "hospital",
                _w(rng, 10, 45),
                founded="school",
            )
        )
    for town, _ in TOWNS:
        health.add(
            b.branch(
                f"{town}卫生院党支部",
                S.HOSPITAL,
                L.INSTITUTION,
                "hospital",
                _w(rng, 6, 18),
                founded="school",
                address=f"宁陵县{town}",
            )
        )

    police = sector_committee("公安局", "县公安局", S.AGENCY)
    for unit in ("交通管理大队", "刑事侦查大队", "治安管理大队", "巡特警大队"):
        police.add(b.branch(f"县公安局{unit}党支部", S.AGENCY, L.AGENCY, "agency", _w(rng, 10, 28)))
    for town, _ in TOWNS:
        police.add(
            b.branch(
                f"{town}派出所党支部",
                S.AGENCY,
                L.AGENCY,
                "agency",
                _w(rng, 5, 14),
                address=f"宁陵县{town}",
            )
        )

    farming = sector_committee("农业农村系统", "县农业农村局", S.AGENCY)
    for unit in (
        "县农业技术推广中心",
        "县畜牧技术服务中心",
        "县农机服务中心",
        "县农业综合行政执法大队",
        "县水利工程管理站",
    ):
        farming.add(
            b.branch(
                f"{unit}党支部", S.PUBLIC_INSTITUTION, L.INSTITUTION, "institution", _w(rng, 6, 20)
            )
        )

    housing = sector_committee("住房和城乡建设系统", "县住房和城乡建设局", S.AGENCY)
    for unit in (
        "县房产服务中心",
        "县住房公积金管理中心",
        "县城乡规划服务中心",
        "县园林绿化服务中心",
    ):
        housing.add(
            b.branch(
                f"{unit}党支部", S.PUBLIC_INSTITUTION, L.INSTITUTION, "institution", _w(rng, 6, 18)
            )
        )
    temporary = housing.add(
        b.branch(
            "宁陵县城市拆迁工作临时党支部",
            S.AGENCY,
            L.OTHER,
            "temporary",
            _w(rng, 6, 9),
            kind=K.TEMPORARY,
        )
    )
    temporary.founded_on = datetime.date(2026, 3, 2)
    named["temporary"] = temporary

    state = sector_committee("国有企业", "县国有资产服务中心", S.STATE_ENTERPRISE)
    state.add(
        b.general_branch(
            "宁陵县投资集团有限公司党总支",
            S.STATE_ENTERPRISE,
            L.ENTERPRISE,
            "state",
            [_w(rng, 15, 30) for _ in range(2)],
            founded="enterprise",
        )
    )
    state.add(
        b.general_branch(
            "宁陵县农村商业银行股份有限公司党总支",
            S.STATE_ENTERPRISE,
            L.ENTERPRISE,
            "state",
            [_w(rng, 20, 35) for _ in range(2)],
            founded="enterprise",
        )
    )
    for unit in (
        "宁陵县城市建设投资有限公司",
        "国网宁陵县供电公司",
        "宁陵县自来水有限公司",
        "宁陵县粮食储备库",
        "宁陵县公共交通有限公司",
    ):
        state.add(
            b.branch(
                f"{unit}党支部",
                S.STATE_ENTERPRISE,
                L.ENTERPRISE,
                "state",
                _w(rng, 10, 35),
                founded="enterprise",
            )
        )

    transport = sector_committee("交通运输系统", "县交通运输局", S.AGENCY)
    for unit in ("县公路管理局", "县交通运输综合执法大队", "县道路运输服务中心"):
        transport.add(
            b.branch(
                f"{unit}党支部", S.PUBLIC_INSTITUTION, L.INSTITUTION, "institution", _w(rng, 8, 25)
            )
        )

    count = _grassroots(root)
    if count > NINGLING_GRASSROOTS:
        raise AssertionError(
            f"the Ningling shape has {count} grassroots organizations, more than 745"
        )
    # More non-public enterprises' branches make exactly 745 grassroots organizations.
    add_companies(NINGLING_GRASSROOTS - count)
    # Groups under the largest village branches, three each.
    for branch in sorted(villages, key=lambda n: -n.weight)[:NINGLING_GROUPED_VILLAGES]:
        b.add_groups(branch, 3)
    named["township"] = next(c for c in root.children if c.name == "中共张弓镇委员会")
    return root, named


def _grassroots(root: Node) -> int:
    """Grassroots organizations under `root`: every node below it but groups."""

    def count(node):
        return (node.kind != K.GROUP) + sum(count(c) for c in node.children)

    return count(root) - 1


# Province scale: target sizes of one subtree at each level (organizations in it).
CITY_SIZE = 7000
COUNTY_SIZE = 700
TOWNSHIP_SIZE = 30
CITIES = (
    "郑州",
    "开封",
    "洛阳",
    "平顶山",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
    "许昌",
    "漯河",
    "三门峡",
    "南阳",
    "商丘",
    "信阳",
    "周口",
    "驻马店",
)


def split(budget: int, target: int) -> list[int]:
    """Split `budget` organizations into subtrees of about `target` each."""
    if budget <= 0:
        return []
    n = max(1, round(budget / target))
    return [budget // n + (1 if i < budget % n else 0) for i in range(n)]


def province(n_orgs: int, seed: int) -> Node:
    """A province with exactly `n_orgs` organizations: province → cities → counties →
    townships → village (and other) branches → groups. Each committee's first child is its
    own office branch, which also supplies its officers."""
    rng = random.Random(seed)
    b = _Builder(rng, county="")
    root = Node(
        "中共示范省委",
        K.COMMITTEE,
        S.OTHER,
        L.PROVINCE,
        region="410000",
        founded_on=datetime.date(1949, 5, 1),
        phone="0371-65900000",
    )
    counties = 0

    def office(parent: Node, title: str):
        parent.add(b.branch(f"{title}机关党支部", S.AGENCY, L.AGENCY, "agency", _w(rng, 15, 40)))

    def township(parent: Node, size: int, county_name: str):
        name = b.namer.place() + rng.choice(("镇", "镇", "乡"))
        node = parent.add(
            b.committee(f"中共{name}委员会", S.RURAL, L.TOWNSHIP, address=f"{county_name}{name}")
        )
        rest = size - 1
        if rest:
            office(node, name)
            rest -= 1
        groups = rest // 10 if rest >= 6 else 0
        branches: list[Node] = []
        for _ in range(rest - groups):
            roll = rng.random()
            if roll < 0.82:
                village = b.namer.village()
                branch = b.branch(
                    f"{village}村党支部",
                    S.RURAL,
                    L.VILLAGE,
                    "rural",
                    rng.lognormvariate(3.3, 0.4),
                    founded="village",
                    address=f"{county_name}{name}{village}村",
                )
            elif roll < 0.87:
                branch = b.branch(
                    f"{name}{b.namer.place()}社区党支部",
                    S.COMMUNITY,
                    L.COMMUNITY,
                    "community",
                    _w(rng, 30, 70),
                )
            elif roll < 0.92:
                branch = b.branch(
                    f"{name}{rng.choice(('中心学校', '第一初级中学', '中心小学'))}党支部",
                    S.SCHOOL,
                    L.INSTITUTION,
                    "school",
                    _w(rng, 10, 30),
                    founded="school",
                )
            elif roll < 0.95:
                branch = b.branch(
                    f"{name}卫生院党支部",
                    S.HOSPITAL,
                    L.INSTITUTION,
                    "hospital",
                    _w(rng, 6, 18),
                    founded="school",
                )
            else:
                branch = b.branch(
                    f"{b.namer.place()}{rng.choice(INDUSTRIES)}有限公司党支部",
                    S.PRIVATE_ENTERPRISE,
                    L.ENTERPRISE,
                    "private",
                    _w(rng, 3, 12),
                    founded="enterprise",
                )
            branches.append(node.add(branch))
        # Groups under the largest village branches (any branch where there is no village),
        # three each; groups left over when no branch is free become village branches.
        free = sorted((x for x in branches if x.level == L.VILLAGE), key=lambda x: -x.weight)
        free = free or [c for c in node.children if c.kind == K.BRANCH]
        while groups > 0:
            n = groups if groups <= 4 else 3
            if free:
                b.add_groups(free.pop(0), n)
            else:
                for _ in range(n):
                    node.add(
                        b.branch(
                            f"{b.namer.village()}村党支部",
                            S.RURAL,
                            L.VILLAGE,
                            "rural",
                            rng.lognormvariate(3.3, 0.4),
                            founded="village",
                        )
                    )
            groups -= n

    def county(parent: Node, size: int):
        nonlocal counties
        counties += 1
        name = b.namer.place() + "县"
        # A region code per county keeps member ID numbers unique (people.People).
        region = (
            f"{41 + (counties - 1) // 9801:02d}{(counties - 1) // 99 % 99 + 1:02d}"
            f"{(counties - 1) % 99 + 1:02d}"
        )
        node = parent.add(b.committee(f"中共{name}委员会", S.OTHER, L.COUNTY, address=name))
        node.region = region
        rest = size - 1
        if rest:
            office(node, name)
            rest -= 1
        for part in split(rest, TOWNSHIP_SIZE):
            township(node, part, name)

    if n_orgs >= 2:
        office(root, "省直")
    for i, city_size in enumerate(split(n_orgs - 2, CITY_SIZE)):
        name = CITIES[i % len(CITIES)] + ("" if i < len(CITIES) else str(i // len(CITIES) + 1))
        city = root.add(b.committee(f"中共{name}市委员会", S.OTHER, L.CITY, address=f"{name}市"))
        # City regions start with 9 and end in 00: they never collide with a county's.
        city.region = f"9{i // 100 % 10}{i % 100:02d}00"
        rest = city_size - 1
        if rest:
            office(city, f"{name}市直")
            rest -= 1
        for part in split(rest, COUNTY_SIZE):
            county(city, part)
    return root
