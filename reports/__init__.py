"""reports stage: what a fact-checker reads and decides, from the warehouse's mart views.

- `model.py`: plain records read from `fact_consensus`, `discrepancy_review` and `fact_timeline`;
- `html.py` (+ `templates/`), `markdown.py`, `csv_export.py`, `svg.py` (timeline charts): the writers;
- `build.py`: `write_story_reports(db_path, story, out_dir)`, what `crosscheck report` runs;
- `review.py`: verdicts on discrepancies, keyed by content so they survive re-runs;
- `server.py`: the local review page (`crosscheck review --serve`).
"""
