"""matching stage: cross-reference claims across reports into facts, relations and verdicts.

Entry points: `matching.align.cross_reference(articles, claims, vocab) -> MatchResult` (pure) and
`warehouse.matches.store_matches(con, story_id, result, run_id)` (the warehouse edge). One module per concern:
reference (outlets, wire marks), copies (voices), entities (canonical names), sides, blocking, compare
(interval levels), timeline (per-slot alignment), verdicts, records (the frozen results), store.
"""
