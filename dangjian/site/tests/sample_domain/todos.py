from dangjian.core.registry import TodoItem, todo_source


@todo_source("sample_todo", "样例待办", order=999)
def sample_todo(user, today, limit):
    return 1, [TodoItem("样例事项", "/admin/")], ""
