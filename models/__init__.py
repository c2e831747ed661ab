"""Model registry: which weights the service uses, where they come from, and how they are verified."""
