from dangjian.core.registry import demo_loader


@demo_loader(order=99, logins=[(99, "sample", "样例账号")])
def load_sample(demo):
    demo.shared["sample_loaded"] = True
