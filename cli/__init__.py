"""The ``misuse`` command.

It sits above every other package (it starts the portal, runs jobs and
importers), so it is a package of its own: nothing imports it.
"""
