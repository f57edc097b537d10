"""Read-only queries behind the analyst dashboard, one module per area.

Plain functions that take a Session and return dicts and lists. Each page asks
for one bounded answer: counts are grouped in SQL, lists carry a LIMIT and an
OFFSET, and nothing loads a whole table into Python, so a page stays fast with a
million log samples. Nothing here writes; changes go through ``core.services``.

This package re-exports nothing: a caller imports the module of the area it reads
(``from core.queries import reports as report_queries``). The import line then
says where a page's data comes from, importing one area does not load them all,
and the package cannot grow back into the one file of forty queries it replaced.
"""
