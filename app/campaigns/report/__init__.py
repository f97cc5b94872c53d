"""A campaign's report: KPIs against targets, budget, charts; as a page, a PDF and a CSV."""
