"""Brands (advertisers): list, pages, forms, trash, and the legal identity a contract needs."""
