"""Ambassador contracts: terms, workflow, documents, signing, a campaign's contracts as a ZIP."""
