"""Demo data (`flask demo seed`): team, brands, influencers, campaigns, contracts."""
