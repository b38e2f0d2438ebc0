"""Validate a GraphQL client's operations against the pavilion's schema.

Usage::

    .venv/bin/python scripts/check_saleor_client.py PATH [--schema FILE.graphql] [-v]

PATH is a directory searched recursively for ``.graphql`` / ``.gql`` files (a checkout of a
Saleor storefront, say). Every operation found is validated on its own, together with the
fragments it uses (transitively, wherever in the directory they are defined), against this
project's schema — or, with ``--schema``, against an SDL file such as Saleor's own
``schema.graphql`` so the two counts can be compared. It prints one line per failing
operation with the first errors and closes with ``N of M operations validate``. The exit
status is 0 when every operation validates, 1 otherwise.
"""

import argparse
import collections
import os
import pathlib
import sys

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
    visit,
)
from graphql.language import DocumentNode, Visitor

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUFFIXES = (".graphql", ".gql")
SKIPPED_DIRECTORIES = {"node_modules", ".git", ".next", "dist", "build"}


def pavilion_schema():
    """The schema served at /graphql/, as graphql-core's schema object."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from api.schema import schema

    return schema.graphql_schema


def client_files(path):
    """Every GraphQL document under ``path`` (or ``path`` itself), in a stable order."""
    path = pathlib.Path(path)
    if path.is_file():
        return [path]
    found = []
    for directory, subdirectories, names in os.walk(path):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        found.extend(pathlib.Path(directory) / n for n in sorted(names) if n.endswith(SUFFIXES))
    return found


class _SpreadCollector(Visitor):
    def __init__(self):
        super().__init__()
        self.names = set()

    def enter_fragment_spread(self, node, *args):
        self.names.add(node.name.value)


def used_fragments(node, fragments):
    """The fragments ``node`` spreads, with those they spread in turn."""
    seen, pending = set(), [node]
    while pending:
        collector = _SpreadCollector()
        visit(pending.pop(), collector)
        for name in collector.names - seen:
            seen.add(name)
            if name in fragments:
                pending.append(fragments[name][0])
    return [fragments[name][0] for name in sorted(seen) if name in fragments]


def collect(files):
    """(operations, fragments, parse errors) over all the files."""
    operations, fragments, problems = [], {}, []
    for file in files:
        try:
            document = parse(file.read_text(encoding="utf-8"))
        except GraphQLError as error:
            problems.append((file, str(error)))
            continue
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                operations.append((definition, file))
            elif isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = (definition, file)
    return operations, fragments, problems


def check(schema, path):
    """A list of (operation name, file, [error messages]) for every operation found."""
    operations, fragments, problems = collect(client_files(path))
    results = [(f"<parse {file.name}>", file, [message]) for file, message in problems]
    for operation, file in operations:
        document = DocumentNode(definitions=[operation, *used_fragments(operation, fragments)])
        errors = validate(schema, document)
        name = operation.name.value if operation.name else "<anonymous>"
        results.append((name, file, [e.message for e in errors]))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="directory (or file) of a client's .graphql documents")
    parser.add_argument("--schema", help="validate against this SDL file instead of ours")
    parser.add_argument("-v", "--verbose", action="store_true", help="every error, not 3")
    parser.add_argument("--summary", action="store_true",
                        help="also count how many operations each distinct error blocks")
    options = parser.parse_args(argv)

    if options.schema:
        schema = build_schema(pathlib.Path(options.schema).read_text(encoding="utf-8"))
    else:
        schema = pavilion_schema()
    results = check(schema, options.path)
    tally = collections.Counter()
    for name, file, errors in results:
        if not errors:
            continue
        shown = errors if options.verbose else errors[:3]
        more = "" if len(shown) == len(errors) else f" (+{len(errors) - len(shown)} more)"
        print(f"FAIL {name} ({file}){more}")
        for message in shown:
            print(f"    {message}")
        tally.update(set(errors))
    if options.summary and tally:
        print("\nErrors by the number of operations they block:")
        for message, count in tally.most_common():
            print(f"{count:4d}  {message}")
    passed = sum(1 for _, _, errors in results if not errors)
    print(f"{passed} of {len(results)} operations validate")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
