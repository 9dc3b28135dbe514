"""gradient_penalty calls autograd.grad without create_graph=True: the penalty's value is right
but it carries no gradient to the discriminator's parameters."""

PATCH = [
    ("torch.autograd.grad(scores.sum(), x_hat, create_graph=True)", "torch.autograd.grad(scores.sum(), x_hat)"),
]
