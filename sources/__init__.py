"""Sources: where reports come from (local folders, URLs, feeds, APIs) and how they are read."""
