"""AutoGraph's rewrite: `if`, `while` and `for` statements become calls into runtime.py,
which keeps them Python when the condition is a Python value and turns them into
tf.cond / tf.while_loop when it is a tensor (TF's rule).

    if x > 0:                       def if_true(y):
        y = x                           y = x
    else:                    →          return (y,)
        y = -x                      def if_false(y):
                                        y = -x
                                        return (y,)
                                    (y,) = ag__.if_stmt(x > 0, if_true, if_false,
                                                        (ag__.ld('y', locals()),), ('y',))

`and`, `or` and `not` become calls too (on tensors: tf.cond, so later operands run only
when needed, and tf.logical_not). Variables a statement assigns are passed in and
returned, so branches and loop bodies never read a name Python would consider unbound.
Statements containing `break` and `continue` are first lowered to flags (jumps.py) and
early returns in `if`s to one final return (returns.py); statements that still contain
return or yield are left as Python.
"""

import ast
import copy
import inspect
import textwrap
import types

from . import jumps, returns, runtime


class ConversionError(Exception):
    """The function cannot be converted (no source, a lambda, a generator, …)."""


def _assigned_names(statements):
    names = []

    class Collector(ast.NodeVisitor):
        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Store) and node.id not in names:
                names.append(node.id)

        def visit_FunctionDef(self, node):
            if node.name not in names:
                names.append(node.name)

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Lambda(self, node):
            pass

    for statement in statements:
        Collector().visit(statement)
    return [n for n in names if not n.startswith("ag__")]


def _escapes(statements):
    """Whether control leaves these statements other than at their end (nested functions,
    such as those the conversion itself writes, do not count)."""
    pending = list(statements)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Return, ast.Break, ast.Continue, ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _no_arguments():
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _located(statements, original):
    """The statements a rewrite made, placed at `original` (the statement's condition or
    iterable), so tracebacks through converted code show the user's line."""
    for statement in statements:
        if not hasattr(statement, "lineno"):
            ast.copy_location(statement, original)
    return statements


class _Converter(ast.NodeTransformer):
    def __init__(self):
        self.count = 0
        self.depth = 0   # how many loops enclose the statement being converted
        self.flags = []  # flags of loops inside loops, also set at the function's start

    def _name(self, prefix):
        self.count += 1
        return f"ag__{prefix}_{self.count}"

    @staticmethod
    def _tuple(names, ctx):
        return ast.Tuple([ast.Name(n, ctx()) for n in names], ctx())

    def _state(self, names):
        """(ag__.ld('a', locals()), ...): current values, or Undefined markers."""
        return ast.Tuple([ast.Call(ast.Attribute(ast.Name("ag__", ast.Load()), "ld",
                                                 ast.Load()),
                                   [ast.Constant(n), ast.Call(ast.Name("locals", ast.Load()),
                                                              [], [])], [])
                          for n in names], ast.Load())

    def _function(self, name, params, body, names):
        body = list(body) + [ast.Return(self._tuple(names, ast.Load))]
        args = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
        return ast.FunctionDef(name, args, body, [], None, None, type_params=[])

    def _call(self, function, args):
        return ast.Call(ast.Attribute(ast.Name("ag__", ast.Load()), function, ast.Load()),
                        args, [])

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        function = "and_" if isinstance(node.op, ast.And) else "or_"
        later = [ast.Lambda(_no_arguments(), value) for value in node.values[1:]]
        return ast.copy_location(self._call(function, [node.values[0]] + later), node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, ast.Not):
            return node
        return ast.copy_location(self._call("not_", [node.operand]), node)

    def visit_If(self, node):
        self.generic_visit(node)
        if _escapes([node]):
            return node
        names = _assigned_names(node.body + node.orelse)
        true_name, false_name = self._name("if_true"), self._name("if_false")
        strings = ast.Tuple([ast.Constant(n) for n in names], ast.Load())
        return _located([
            self._function(true_name, names, node.body, names),
            self._function(false_name, names, node.orelse or [ast.Pass()], names),
            ast.Assign([self._tuple(names, ast.Store)], self._call("if_stmt", [
                node.test, ast.Name(true_name, ast.Load()),
                ast.Name(false_name, ast.Load()), self._state(names), strings]))], node.test)

    def _lower_jumps(self, node):
        """(statements before the loop, the loop) with break/continue turned into flags."""
        self.count += 1
        brk, cont = f"ag_break_{self.count}", f"ag_continue_{self.count}"
        try:
            lowered = jumps.lower_loop(node, brk, cont)
        except jumps.Unlowerable:
            return [], node, None
        if lowered is None:
            return [], node, None
        if self.depth:
            self.flags += lowered[0]
        return lowered[0], lowered[1], brk

    def _visit_loop_body(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_While(self, node):
        prelude, node, _ = self._lower_jumps(node)
        self._visit_loop_body(node)
        if _escapes([node]) or node.orelse:
            return prelude + [node]
        names = _assigned_names(node.body)
        test_name, body_name = self._name("loop_test"), self._name("loop_body")
        test = ast.FunctionDef(test_name, ast.arguments(
            posonlyargs=[], args=[ast.arg(n) for n in names], vararg=None, kwonlyargs=[],
            kw_defaults=[], kwarg=None, defaults=[]), [ast.Return(node.test)], [], None, None,
            type_params=[])
        strings = ast.Tuple([ast.Constant(n) for n in names], ast.Load())
        return _located(prelude + [
            test, self._function(body_name, names, node.body, names),
            ast.Assign([self._tuple(names, ast.Store)], self._call("while_stmt", [
                ast.Name(test_name, ast.Load()), ast.Name(body_name, ast.Load()),
                self._state(names), strings]))], node.test)

    def visit_For(self, node):
        if node.orelse or not isinstance(node.target, (ast.Name, ast.Tuple, ast.List)):
            self._visit_loop_body(node)
            return node
        targets = _assigned_names([ast.Assign([node.target], ast.Constant(None))])
        if not isinstance(node.target, ast.Name):  # `for x, y in ...`: unpacked in the body
            item = self._name("item")
            node.body.insert(0, ast.copy_location(
                ast.Assign([node.target], ast.Name(item, ast.Load())), node.target))
            node.target = ast.copy_location(ast.Name(item, ast.Store()), node.target)
        prelude, node, brk = self._lower_jumps(node)
        self._visit_loop_body(node)
        if _escapes([node]):
            return prelude + [node]
        names = [n for n in _assigned_names(node.body)
                 if n != node.target.id and n not in targets]
        body_name = self._name("for_body")
        strings = ast.Tuple([ast.Constant(n) for n in names], ast.Load())
        body = self._function(body_name, [node.target.id] + names, node.body, names)
        return _located(prelude + [body, ast.Assign([self._tuple(names, ast.Store)], self._call(
            "for_stmt", [node.iter, ast.Name(body_name, ast.Load()), self._state(names),
                         strings, ast.Constant(brk)]))], node.iter)


def _source_tree(fn):
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as error:
        raise ConversionError(f"no source code is available for {fn!r} ({error})") from None
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a lambda's line taken out of its expression (a dict, a call)
        raise ConversionError(f"the source of {fn!r} does not parse on its own") from None
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef):
        raise ConversionError(f"{fn!r} is not a plain `def` function (lambdas and async "
                              f"functions are not converted)")
    definition.decorator_list = []
    return tree, definition


def _converted_tree(fn):
    tree, definition = _source_tree(fn)
    returns.lower_function(definition)
    converter = _Converter()
    tree = converter.visit(tree)
    # An inner loop's flags also start at the top, so they have a value when an enclosing
    # tensor loop takes them as loop variables.
    definition.body[:0] = [copy.deepcopy(flag) for flag in converter.flags]
    return ast.fix_missing_locations(tree), definition


def to_code(fn):
    """The source of `fn` as AutoGraph converts it."""
    tree, _ = _converted_tree(fn)
    return ast.unparse(tree)


def convert(fn):
    """`fn` with its tensor-dependent control flow converted (see the module docstring)."""
    if inspect.ismethod(fn):
        return types.MethodType(convert(fn.__func__), fn.__self__)
    fn = inspect.unwrap(fn)
    if "__class__" in fn.__code__.co_freevars:
        raise ConversionError(f"{fn.__qualname__} uses super(), whose class cell a "
                              f"recompiled function cannot have")
    tree, definition = _converted_tree(fn)
    namespace = dict(fn.__globals__)
    if fn.__closure__:
        namespace.update(zip(fn.__code__.co_freevars,
                             (cell.cell_contents for cell in fn.__closure__)))
    namespace["ag__"] = runtime
    filename = inspect.getsourcefile(fn) or "<autograph>"
    offset = fn.__code__.co_firstlineno - 1
    ast.increment_lineno(tree, offset)
    exec(compile(tree, filename, "exec"), namespace)
    converted = namespace[definition.name]
    converted.__wrapped_by_autograph__ = fn
    return converted
