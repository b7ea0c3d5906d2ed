"""The demo network, as data: organisations, groups, meetings and plans. Loaded by concord/demo/loader.py."""
