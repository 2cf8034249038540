"""Shared pieces of Caudal's DAGs: settings by name, storage helpers, the publish gate."""
