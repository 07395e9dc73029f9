"""The shipped corpus, installed as the package ``trainer.corpus``: read it with `trainer.paths`."""
