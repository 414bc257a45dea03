from dangjian.core.indicators import Result, register


@register("sample.things", "样例数", "个", dashboard=999)
def sample_things(ctx):
    return Result(0)
