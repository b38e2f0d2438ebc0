"""The GraphQL execution context: ``graphql-sync-dataloaders``' deferred execution,
adapted to graphql-core 3.2.4+, where ``handle_field_error`` takes the field's path."""

from graphql_sync_dataloaders import DeferredExecutionContext


class ExecutionContext(DeferredExecutionContext):
    def handle_field_error(self, error, return_type, path=None):
        # The library calls the two-argument form of graphql-core <= 3.2.3; without a path
        # the error is still collected (only the de-duplication by position is skipped).
        return super().handle_field_error(error, return_type, path)
