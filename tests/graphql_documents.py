"""GraphQL documents kept as ``*.graphql`` files in a test folder, read by operation name:
the operation with every fragment it spreads, however deep."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
)
from graphql.language import Visitor, visit


class Documents:
    def __init__(self, folder: Path):
        self.folder = folder

    def definitions(self):
        """(operations by name, fragments by name) over every document file."""
        operations, fragments = {}, {}
        for path in sorted(self.folder.glob("*.graphql")):
            for definition in parse(path.read_text(encoding="utf-8")).definitions:
                if isinstance(definition, OperationDefinitionNode):
                    operations[definition.name.value] = definition
                elif isinstance(definition, FragmentDefinitionNode):
                    fragments[definition.name.value] = definition
        return operations, fragments

    def operation(self, name: str) -> DocumentNode:
        """The operation ``name`` with every fragment it spreads, however deep."""
        operations, fragments = self.definitions()
        spread = []

        class Spreads(Visitor):
            def enter_fragment_spread(self, node: FragmentSpreadNode, *_args):
                if node.name.value not in spread:
                    spread.append(node.name.value)
                    visit(fragments[node.name.value], self)

        visit(operations[name], Spreads())
        return DocumentNode(definitions=[operations[name], *(fragments[f] for f in spread)])

    def text(self, name: str) -> str:
        return print_ast(self.operation(name))
