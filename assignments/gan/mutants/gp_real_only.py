"""gradient_penalty evaluates the gradient at the real samples instead of at interpolates."""

PATCH = [
    (
        "x_hat = (eps * real.detach() + (1.0 - eps) * fake.detach()).requires_grad_(True)",
        "x_hat = real.detach().clone().requires_grad_(True)",
    ),
]
