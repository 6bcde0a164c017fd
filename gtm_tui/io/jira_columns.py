"""The columns of a Jira Cloud CSV export, in the languages Jira writes them.

Jira names its columns in the exporting person's language ("Summary",
"Resumen", "Résumé" …), repeats a column once per value (Labels, Comment,
Watchers, Sprint …) and wraps custom fields as "Custom field (Epic Link)" or
"Campo personalizado (Epic Link)". ``find_columns`` maps a header to the
fields we read, by name compared without case, accents or spacing; a field
that repeats keeps every position.
"""

from __future__ import annotations

import re
import unicodedata

# field -> names Jira gives its column (English first; Spanish; French, German, Portuguese, Italian where known)
COLUMNS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "resumen", "résumé", "zusammenfassung", "resumo", "riepilogo", "sommario"),
    "key": (
        "issue key",
        "key",
        "clave de incidencia",
        "clave de la incidencia",
        "clave",
        "clé de ticket",
        "clé du ticket",
        "clé",
        "schlüssel",
        "vorgangsschlüssel",
        "chave do item",
        "chave da item",
        "chave",
        "chiave ticket",
        "chiave",
    ),
    "id": (
        "issue id",
        "id de la incidencia",
        "id de incidencia",
        "id du ticket",
        "vorgangs-id",
        "id do item",
        "id ticket",
    ),
    "type": (
        "issue type",
        "tipo de incidencia",
        "tipo de la incidencia",
        "type de ticket",
        "vorgangstyp",
        "tipo de item",
        "tipo di ticket",
    ),
    "status": ("status", "estado", "statut", "stato"),
    "category": (
        "status category",
        "categoria de estado",
        "categoria del estado",
        "categorie d'etat",
        "categorie de statut",
        "statuskategorie",
        "categoria de status",
        "categoria di stato",
    ),
    "category_changed": (
        "status category changed",
        "categoria de estado cambiada",
        "cambio de categoria de estado",
        "fecha de cambio de categoria de estado",
        "categoria de estado modificada",
        "categorie de statut modifiee",
        "statuskategorie geandert",
        "categoria de status alterada",
        "categoria di stato modificata",
    ),
    "assignee": (
        "assignee",
        "persona asignada",
        "responsable",
        "asignado",
        "asignado a",
        "personne assignee",
        "attributaire",
        "bearbeiter",
        "zugewiesene person",
        "responsavel",
        "assegnatario",
    ),
    "created": ("created", "creada", "creado", "fecha de creacion", "creation", "cree", "erstellt", "criado", "creato"),
    "updated": ("updated", "actualizada", "actualizado", "mise a jour", "aktualisiert", "atualizado", "aggiornato"),
    "resolved": (
        "resolved",
        "resuelta",
        "resuelto",
        "fecha de resolucion",
        "resolu",
        "erledigt",
        "resolvido",
        "risolto",
    ),
    "due": (
        "due date",
        "due",
        "fecha de vencimiento",
        "fecha limite",
        "vencimiento",
        "date d'echeance",
        "echeance",
        "falligkeitsdatum",
        "data de vencimento",
        "data limite",
        "data di scadenza",
        "scadenza",
    ),
    "labels": ("labels", "etiquetas", "etiquettes", "stichworter", "etiquetas", "rotulos", "etichette"),
    "description": ("description", "descripcion", "beschreibung", "descricao", "descrizione"),
    "comment": ("comment", "comments", "comentario", "comentarios", "commentaire", "kommentar", "commento"),
    "parent_id": (
        "parent id",
        "parent",
        "id principal",
        "principal",
        "id del principal",
        "id parent",
        "id de parent",
        "ubergeordnet",
        "id do pai",
        "pai",
    ),
    "parent_key": ("parent key", "clave principal", "clave del principal", "cle parent", "chave do pai"),
    "parent_summary": (
        "parent summary",
        "resumen principal",
        "resumen del principal",
        "resume parent",
        "resumo do pai",
    ),
    "epic_link": (
        "epic link",
        "enlace de epic",
        "enlace a epic",
        "enlace de la epica",
        "lien d'epic",
        "epos-verknupfung",
        "link do epico",
    ),
    "epic_name": ("epic name", "nombre de epic", "nombre de la epica", "nom de l'epic", "epos-name", "nome do epico"),
    "resolution": ("resolution", "resolucion", "losung", "resolucao", "risoluzione"),
}
# Fields a file may hold several columns of; the others keep their first column.
REPEATED = ("labels", "comment")
CUSTOM_WRAPPERS = (
    "custom field",
    "campo personalizado",
    "champ personnalise",
    "benutzerdefiniertes feld",
    "campo personalizzato",
)


def plain(name: str) -> str:
    """A column name compared loosely: no case, accents, "Σ", surrounding spaces or doubled spaces."""
    name = unicodedata.normalize("NFKD", name.replace("Σ", "")).encode("ascii", "ignore").decode()
    return " ".join(name.casefold().split())


def unwrap(name: str) -> str:
    """ "custom field (epic link)" → "epic link"."""
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if match and match[1] in CUSTOM_WRAPPERS:
        return match[2].strip()
    return name


_LOOKUP = {plain(alias): field for field, aliases in COLUMNS.items() for alias in aliases}


def find_columns(header: list[str]) -> dict[str, list[int]]:
    """Field -> the positions of its columns in ``header`` (every one for a repeated field)."""
    found: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        field = _LOOKUP.get(plain(name)) or _LOOKUP.get(unwrap(plain(name))) or _changed_date(plain(name))
        if field is None:
            continue
        if field in REPEATED or field not in found:
            found.setdefault(field, []).append(position)
    return found


def _changed_date(name: str) -> str | None:
    """A column we have no translation for that names the status category and more ("… modificada", "… changed")."""
    for alias in COLUMNS["category"]:
        if name.startswith(alias + " ") or name.endswith(" " + alias):
            return "category_changed"
    return None
