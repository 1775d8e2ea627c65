"""Microsoft Teams: a translator between Bot Framework activities and engine events.

Every Bot Framework SDK import of the project lives in this package. The Python SDK reached
the end of its support on 2025-12-31 (its successor is the Microsoft 365 Agents SDK), so the
transport must be replaceable here without touching `bot/`. Importing this package itself
imports no SDK: `boussole serve` asks `platform.missing_setting` first, and a deployment
without Teams never pays for botbuilder.
"""
