"""HTTP routes: thin handlers that decode, delegate to the engines and encode."""
