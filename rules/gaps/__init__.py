"""Optional rules where the law asks more or other than the policy (off by default)."""
