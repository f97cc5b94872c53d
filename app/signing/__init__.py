"""Signing (web): the signer's public page behind a single-use link, and the team's actions
on a contract (send the links, renew one, upload a signed scan, export the evidence).

The work lives in app/services/signing.py (links, signatures, evidence), signing_mail.py
and signing_scan.py; these modules are the views and their forms.
"""

from flask import Blueprint

bp = Blueprint("signing", __name__)
