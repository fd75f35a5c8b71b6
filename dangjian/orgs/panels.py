"""Sections other apps add to an organization's page, without the page importing them.

An app registers a function (user, organization, today) → a panel dict or None in its
AppConfig.ready; the panel names the template that draws it ("template") and carries what
that template needs. The organization page shows the panels that are not None, in the
order registered.
"""

PANELS = []


def register(panel):
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def panels_for(user, org, today) -> list[dict]:
    return [p for fn in PANELS if (p := fn(user, org, today))]
