"""Matrix (and so Tchap): a bot account that syncs with its homeserver, end-to-end encrypted.

See docs/matrix.md for the settings, Tchap's constraints and a self-hosted Synapse.
"""
