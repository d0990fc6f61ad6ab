import datetime as dt

from generator.site.charts import MAX_COLUMNS, bar_chart, heatmap, topic_trends
from generator.models import Assignment, Digest, Match, Paper, Site, Topic
from generator.site.index import index_site


def site_with_digests(days: list[dt.date]) -> Site:
    papers = tuple(Paper(key=f"p{i}", slug=f"p{i}", title=f"P{i}", abstract="A.", entries=()) for i in range(len(days)))
    digests = tuple(Digest(id=d.isoformat(), title=d.isoformat(), date=d, files=(), paper_keys=(f"p{i}",))
                    for i, d in sorted(enumerate(days), key=lambda x: x[1], reverse=True))
    topic = Topic("t", "T", "Topic.")
    assignments = {p.key: (Assignment("t", 3.0, (Match("x", "title"),)),) for p in papers[::2]}
    return Site(papers=papers, digests=digests, topics=(topic,), assignments=assignments)


def test_few_digests_are_columns_of_their_own():
    trends = topic_trends(index_site(site_with_digests([dt.date(2025, 3, d) for d in (11, 12, 14)])))
    assert trends.unit == "digest" and trends.columns == ["Mar 11", "Mar 12", "Mar 14"]
    assert trends.counts_of("t") == [1, 0, 1]


def test_many_digests_become_the_last_twelve_months():
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=10 * i) for i in range(60)]
    trends = topic_trends(index_site(site_with_digests(days)))
    assert trends.unit == "month" and len(trends.columns) == MAX_COLUMNS
    assert trends.columns[-1] == f"{days[-1]:%b %Y}"
    last_months = sorted({(d.year, d.month) for d in days})[-MAX_COLUMNS:]
    in_topic = [d for d in days[::2] if (d.year, d.month) in last_months]  # the even papers have the topic
    assert sum(trends.counts_of("t")) == len(in_topic) < len(days[::2])


def test_chart_labels_are_escaped():
    svg = str(bar_chart("<b>x</b> & y", ["<a>"], [3])) + str(heatmap("t", ["<r>"], ["c"], [[1]]))
    assert "<b>" not in svg and "<a>" not in svg and "<r>" not in svg and "&lt;b&gt;" in svg
