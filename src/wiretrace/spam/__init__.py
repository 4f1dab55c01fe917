"""Comment spam filtering that runs here: hashed n-gram features, a linear model, moderator memory.

``features`` turns a comment into hashed sparse features, ``model`` loads the shipped weights
and scores with numpy alone, ``train`` refits them (scikit-learn) on the bundled comments, any
extra labelled files and the deployment's own moderation decisions.
"""
