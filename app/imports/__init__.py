"""CSV import of influencers: the wizard's pages, the service, the writer, the revert."""
