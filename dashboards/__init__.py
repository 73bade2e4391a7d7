"""Dashboards: the pages that read the programme's figures, one rung above the reports.

- `views`: home, "Xã tôi phụ trách", the province overview, the review table of communes,
  a commune's page and an agency's page (with the province map);
- `selectors`: the reads behind them (home summary, my communes, commune review rows,
  reporting timeliness, days on site); totals come from `reports.figures`, the same
  functions the sơ kết report uses, so a page and the report never disagree;
- `forms` (the period picker), `filters` (the review table's), `downloads` (every table of a
  page as Excel).
"""
