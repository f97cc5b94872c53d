"""What every feature shares: service errors, audit, pagination, bulk SQL, CSV and PDF, N_."""
