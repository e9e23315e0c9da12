"""Copy an nbgrader gradebook into another database, for example SQLite into PostgreSQL.

nbgrader has no command for this. The general-purpose tool, pgloader, builds the PostgreSQL
tables from what it reads in the SQLite file, where types are loose (true/false are stored as
0 and 1, choices as plain text), so the result is not the schema nbgrader itself creates on
PostgreSQL. Here the new database gets nbgrader's own tables (its SQLAlchemy models, the
schema ``nbgrader`` makes on a fresh database), then every row is copied through those same
table definitions, parents before children, in one transaction: it all arrives or nothing does.

Usage (the Makefile's ``make migrate-gradebook DB_URL=...`` runs this in the course folder)::

    python -m autograder.grading.migrate_gradebook sqlite:///gradebook.db \\
        postgresql://nbgrader:SECRET@db.example.org/two_presences

The target database must exist and be empty. The source must be at nbgrader's current schema
version (run ``nbgrader db upgrade`` first if nbgrader says it is older). Afterwards, point the
course at the new database (``db_url``, see ``nbgrader_config.py``) and keep the old file as a
backup.
"""

from __future__ import annotations

import argparse
import sys

from nbgrader.api import Base, get_alembic_version
from sqlalchemy import Engine, create_engine, func, insert, inspect, make_url, select, text


class MigrationError(Exception):
    """Why the gradebook was not copied, in words for the instructor."""


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def schema_version(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def migrate(source_url: str, target_url: str) -> dict[str, int]:
    """Copy every row of the gradebook at ``source_url`` into ``target_url``; rows per table."""
    source = create_engine(source_url)
    target = create_engine(target_url)
    try:
        version = schema_version(source)
        if version is None:
            raise MigrationError(
                f"{shown(source_url)} is not an nbgrader gradebook (no schema version)"
            )
        current = get_alembic_version()
        if version != current:
            raise MigrationError(
                f"{shown(source_url)} is at nbgrader schema {version}, this nbgrader writes "
                f"{current}: back it up, run `nbgrader db upgrade`, then migrate"
            )
        if inspect(target).get_table_names():
            raise MigrationError(
                f"{shown(target_url)} already has tables: migrate into an empty database"
            )
        Base.metadata.create_all(target)
        with source.connect() as reading, target.begin() as writing:
            for table in Base.metadata.sorted_tables:  # parents before children
                rows = [dict(row) for row in reading.execute(select(table)).mappings()]
                if rows:
                    writing.execute(insert(table), rows)
            writing.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            writing.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
        copied, expected = row_counts(target), row_counts(source)
        if copied != expected:
            raise MigrationError(f"rows copied {copied} differ from the source's {expected}")
        return copied
    finally:
        source.dispose()
        target.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="the gradebook now, e.g. sqlite:///gradebook.db")
    parser.add_argument("target", help="an empty database, e.g. postgresql://user@host/name")
    args = parser.parse_args(argv)
    try:
        counts = migrate(args.source, args.target)
    except MigrationError as error:
        print(f"migrate_gradebook: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{count} {table}" for table, count in counts.items() if count)
    print(f"Copied the gradebook: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
