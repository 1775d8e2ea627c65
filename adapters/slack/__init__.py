"""Slack: slash command, Block Kit questions, App Home and review DMs, over slack-bolt.

A translator and nothing more: Slack input becomes engine events, engine effects become Slack
messages. No Slack import leaves this package, and no triage rule lives in it.
"""
