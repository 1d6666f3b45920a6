"""Early returns inside `if` statements, rewritten so the `if` can convert: what follows
the `if` moves into the branch that does not return, and each `return e` becomes an
assignment of the one value the function returns at its end.

    if x > 0:                      if x > 0:
        return x          →            ag_retval = x
    return -x                      else:
                                       ag_retval = -x
                                   return ag_retval

A `return` inside a loop becomes `ag_retval = e; ag_do_return = True; break`, and
what follows the loop runs only `if not ag_do_return`; until a return runs,
`ag_retval` holds an UndefinedReturn, which a tensor loop or `if` turns into zeros
of the returned value's type (runtime.py).
"""

import ast

RETVAL = "ag_retval"
DO_RETURN = "ag_do_return"
_LOOPS = (ast.For, ast.While)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _always_returns(statements):
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, ast.Return):
        return True
    return isinstance(last, ast.If) and _always_returns(last.body) and \
        _always_returns(last.orelse)


def _returns_in_ifs(statements):
    """Whether a return sits inside an `if` (not inside a loop or nested function)."""
    for statement in statements:
        if isinstance(statement, ast.If):
            for branch in (statement.body, statement.orelse):
                if any(isinstance(s, ast.Return) for s in branch) or _returns_in_ifs(branch):
                    return True
    return False


def _lower(statements):
    for index, statement in enumerate(statements):
        if isinstance(statement, ast.Return):
            value = statement.value or ast.Constant(None)
            return statements[:index] + [ast.Assign([ast.Name(RETVAL, ast.Store())], value)]
        if isinstance(statement, ast.If) and (_returns_in_ifs([statement])):
            rest = statements[index + 1:]
            body = statement.body if _always_returns(statement.body) else statement.body + rest
            orelse = statement.orelse if _always_returns(statement.orelse) else \
                statement.orelse + rest
            return statements[:index] + [ast.If(statement.test, _lower(body) or [ast.Pass()],
                                                _lower(orelse))]
    return statements


def _returns_in_loops(statements, in_loop=False):
    """Whether a return sits inside a loop (of this function, not a nested one)."""
    for statement in statements:
        if isinstance(statement, ast.Return) and in_loop:
            return True
        if isinstance(statement, _SCOPES):
            continue
        inner = in_loop or isinstance(statement, _LOOPS)
        for field in ("body", "orelse"):
            if _returns_in_loops(getattr(statement, field, []), inner):
                return True
    return False


def _name(name, ctx=ast.Load):
    return ast.Name(name, ctx())


def _runtime(function, args):
    return ast.Call(ast.Attribute(_name("ag__"), function, ast.Load()), args, [])


def _lower_loop_returns(statements, in_loop):
    """The statements with returns inside loops turned into flag assignments and breaks,
    and what follows a statement that may have returned guarded by the flag."""
    lowered = []
    for index, statement in enumerate(statements):
        if isinstance(statement, ast.Return) and in_loop:
            value = statement.value or ast.Constant(None)
            return lowered + [ast.Assign([_name(RETVAL, ast.Store)], value),
                              ast.Assign([_name(DO_RETURN, ast.Store)], ast.Constant(True)),
                              ast.Break()]
        if not isinstance(statement, (ast.If,) + _LOOPS) or \
                not _returns_in_loops([statement], in_loop):
            lowered.append(statement)
            continue
        inner = in_loop or isinstance(statement, _LOOPS)
        statement.body = _lower_loop_returns(statement.body, inner)
        statement.orelse = _lower_loop_returns(statement.orelse, inner)
        lowered.append(statement)
        rest = _lower_loop_returns(statements[index + 1:], in_loop)
        if in_loop:   # an inner loop's return leaves the enclosing loop too
            if isinstance(statement, _LOOPS):
                lowered.append(ast.If(_name(DO_RETURN), [ast.Break()], []))
            return lowered + rest
        if rest:
            lowered.append(ast.If(_runtime("not_", [_name(DO_RETURN)]), rest, []))
        return lowered
    return lowered


def lower_function(definition):
    """Rewrites definition's body in place when it returns from inside `if`s or loops."""
    body = definition.body
    if _returns_in_loops(body):
        if not _always_returns(body):
            body = body + [ast.Return(ast.Constant(None))]
        body = [ast.Assign([_name(DO_RETURN, ast.Store)], ast.Constant(False)),
                ast.Assign([_name(RETVAL, ast.Store)], _runtime("UndefinedReturn", []))] + \
            _lower_loop_returns(body, False)
    if not _returns_in_ifs(body):
        definition.body = body
        return
    definition.body = _lower(body) + [ast.Return(_name(RETVAL))]
