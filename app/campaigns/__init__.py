"""Campaigns (web): the campaign list and form, the participants' pipeline, operations with
their approval and the editorial calendar, metrics, and the report.

The work lives in app/services (campaigns, participants, operations, campaign_metrics,
campaign_report, kpis); these modules are the views and their forms, one module per part.
"""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
