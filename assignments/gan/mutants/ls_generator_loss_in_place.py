"""ls_generator_loss subtracts 1 from scores_fake in place (sub_) to save memory: right value, the caller's
scores change (and autograd refuses a leaf that requires grad)."""

PATCH = [("    return 0.5 * ((scores_fake - 1.0) ** 2).mean()", "    return 0.5 * (scores_fake.sub_(1.0) ** 2).mean()")]
