"""评价分类: standards, their condition language and the grade engine."""
