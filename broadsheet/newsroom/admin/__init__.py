"""Django admin for editors: articles with their bylines, credits and corrections; images.

Every save and delete goes through the newsroom's services, so the admin keeps the same rules
(unique slugs, required headlines, credit order) as every other writer. One module per desk.
"""

from broadsheet.newsroom.admin import articles, filing, images, people  # noqa: F401 (registers)
