"""Discussion on stories, articles and single facts: accounts, comments, moderation, API keys.

Every write goes through :class:`wiretrace.discuss.db.DiscussionDB` with portable SQL (``?``
placeholders, standard types); the tables are named migrations in the store's migration list.
"""
