"""Serving the public (服务群众): pledges to the public (双承诺), service posts of employed members (在职党员进社区), visits and public concerns (走访、民情), proxy service (代办), members' suggestions (参政议政), leaders' contact points (联系点) and village work teams (驻村工作队)."""

from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "dangjian.service"
    label = "service"
    verbose_name = "服务群众"

    def ready(self):
        from dangjian.core import public_board

        from . import desk, selectors

        desk.register_all()
        public_board.register(
            public_board.Section(
                key="service.pledges",
                template="service/board_pledges.html",
                context=selectors.board_pledges,
                stamp=selectors.board_pledges_stamp,
                order=50,
            )
        )
        public_board.register(
            public_board.Section(
                key="service.teams",
                template="service/board_teams.html",
                context=selectors.board_teams,
                stamp=selectors.board_teams_stamp,
                order=60,
            )
        )
