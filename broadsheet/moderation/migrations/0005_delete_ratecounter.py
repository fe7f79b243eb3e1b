# The counters now live in core.RateCounter. They are ephemeral (the longest window is an hour by
# default), so open windows are dropped rather than copied: at worst a limit restarts once.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0004_rate_counter'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RateCounter',
        ),
    ]
