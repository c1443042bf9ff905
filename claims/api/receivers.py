"""Partner webhooks react to published and corrected verdicts."""
