"""contrastive_loss penalises similar pairs by d instead of d squared."""

PATCH = [
    ("terms = same * d**2", "terms = same * d"),
]
