"""The chat kit: what every chat platform shares (the words people type, in both languages),
so that a platform adapter is a transport and a renderer, and a rule cannot drift between
Slack, Teams and Matrix."""
