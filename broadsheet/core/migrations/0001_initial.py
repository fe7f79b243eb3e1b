# Rate-limit counters move here from moderation (core's one limiter counts for every app).

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='RateCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120)),
                ('window_start', models.BigIntegerField(help_text='Unix time the window opened.')),
                ('count', models.PositiveIntegerField(default=0)),
                ('expires_at', models.BigIntegerField(help_text='Unix time the window closes.')),
            ],
            options={
                'indexes': [models.Index(fields=['expires_at'], name='core_ratecounter_expires')],
                'constraints': [models.UniqueConstraint(fields=('key', 'window_start'), name='core_ratecounter_key_window')],
            },
        ),
    ]
