"""The roll-up engine: figures per organization over its whole subtree, kept incrementally.

It knows no domain. Apps register their keys' SQL sources (`register`), the figures other
apps may bind to (`bindings`), and how their keys read on an organization's page
(`breakdowns`), all in their AppConfig.ready().
"""
