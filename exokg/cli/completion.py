"""Shell completion for ``exokg``: bash and zsh scripts written from the command line's own parser.

The scripts complete command names, each command's options (hidden ones left out), the values of
options and arguments with a fixed set of choices (``--format``, ``--backend``, ``source add``,
``completion bash`` …), file names after options that take a file, and question names after
``exokg ask`` and ``--question`` (asked of ``exokg list --names`` when you press Tab, so a new
question completes without regenerating the script). zsh runs the bash function through its
``bashcompinit`` layer.

    exokg completion bash > ~/.local/share/bash-completion/completions/exokg
    exokg completion zsh > ~/.zfunc/_exokg    # with: autoload -U compinit && compinit
"""

from __future__ import annotations

import shlex
import sys

from exokg.cli.base import command, option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

__all__ = ["SHELLS", "completion_command", "script"]

SHELLS = ("bash", "zsh")

_FILE_METAVARS = {"FILE", "DIRECTORY", "PATH", "OLD", "NEW", "FILE|-"}


def _words(words: list[str]) -> str:
    return shlex.quote(" ".join(words))


def script(shell: str, parser: ArgumentParser) -> str:
    """The completion script for ``shell`` (bash or zsh) of ``parser`` (``exokg.cli.app.build_parser()``)."""
    from argparse import SUPPRESS, _SubParsersAction

    (subparsers,) = (a for a in parser._actions if isinstance(a, _SubParsersAction))
    commands = sorted(subparsers.choices)
    global_options = [o for a in parser._actions for o in a.option_strings]
    cases: list[str] = []
    positional_cases: list[str] = []
    choices: dict[str, set[str]] = {}
    files: set[str] = set()
    for name in commands:
        sub = subparsers.choices[name]
        add_all = getattr(sub, "add_all", None)
        if add_all is not None:
            add_all()
        options = []
        positionals = [a for a in sub._actions if not a.option_strings]
        for index, action in enumerate(positionals):
            if action.choices:  # `exokg source add`, `exokg completion bash`
                words = _words(sorted(str(c) for c in action.choices))
                positional_cases.append(
                    f'            {name}:{index}) COMPREPLY=($(compgen -W {words} -- "$cur")); return ;;'
                )
        for action in sub._actions:
            if action.help == SUPPRESS:  # hidden (test hooks such as `source --crossref`)
                continue
            options += action.option_strings
            if action.option_strings and action.choices:
                for flag in action.option_strings:
                    choices.setdefault(flag, set()).update(str(c) for c in action.choices)
            if action.option_strings and action.metavar in _FILE_METAVARS:
                files.update(action.option_strings)
        cases.append(f"        {name}) options={_words(sorted(options))} ;;")
    choice_cases = [
        f'        {flag}) COMPREPLY=($(compgen -W {_words(sorted(values))} -- "$cur")); return ;;'
        for flag, values in sorted(choices.items())
    ]
    function = _BASH.format(
        commands=_words(commands),
        global_options=_words(global_options),
        command_cases="\n".join(cases),
        choice_cases="\n".join(choice_cases),
        positional_cases="\n".join(positional_cases),
        file_options="|".join(sorted(files)),
    )
    if shell == "bash":
        return function
    if shell == "zsh":
        return "#compdef exokg\nautoload -U +X bashcompinit && bashcompinit\n" + function
    raise ValueError(f"no completion for {shell!r}; choose one of {', '.join(SHELLS)}")


_BASH = """# exokg completion for bash (made by `exokg completion`)
_exokg() {{
    local cur prev command="" word options
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local i=1 positional=0
    while [ "$i" -lt "$COMP_CWORD" ]; do
        word="${{COMP_WORDS[i]}}"
        if [ -z "$command" ]; then
            case "$word" in -*) ;; *) command="$word" ;; esac
        elif [ "${{word#-}}" = "$word" ]; then
            positional=$((positional + 1))
        fi
        i=$((i + 1))
    done
    if [ -z "$command" ]; then
        COMPREPLY=($(compgen -W {commands}" "{global_options} -- "$cur"))
        return
    fi
    case "$prev" in
        --question) COMPREPLY=($(compgen -W "$("${{COMP_WORDS[0]}}" list --names 2>/dev/null)" -- "$cur")); return ;;
{choice_cases}
        {file_options}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    case "$command" in
{command_cases}
        *) options="" ;;
    esac
    if [ "${{cur#-}}" = "$cur" ]; then
        case "$command:$positional" in
            ask:0) COMPREPLY=($(compgen -W "$("${{COMP_WORDS[0]}}" list --names 2>/dev/null)" -- "$cur")); return ;;
{positional_cases}
        esac
    fi
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
}}
complete -o default -F _exokg exokg
"""


@command(
    "completion",
    option("shell", choices=("bash", "zsh"), help="The shell to complete in."),
)
def completion_command(args: Namespace) -> None:
    """Print a shell completion script for bash or zsh: commands, options, choices, question names.

    Example: exokg completion bash > ~/.local/share/bash-completion/completions/exokg
    """
    from exokg.cli.app import build_parser

    sys.stdout.write(script(args.shell, build_parser()))
