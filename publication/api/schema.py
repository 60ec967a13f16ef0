"""The OpenAPI schema says every answer the API can give, errors included (drf-spectacular
documents the 200s only): a client, and Schemathesis in the suite, can rely on it."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Ce qui ne va pas, en français."}},
    "required": ["detail"],
}
BAD_REQUEST = {
    "type": "object",
    "description": "Pour chaque paramètre refusé, ses messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _error(description: str, schema_name: str = "Erreur") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})
    result["components"]["schemas"]["Erreur"] = ERROR
    result["components"]["schemas"]["ParametresRefuses"] = BAD_REQUEST
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("304", {"description": "Non modifié depuis la version que le client a (ETag, date)."})
            responses.setdefault("400", _error("Paramètre invalide.", "ParametresRefuses"))
            responses.setdefault("401", _error("Jeton inconnu, révoqué ou mal écrit."))
            responses.setdefault("404", _error("Objet absent ou non visible, ou page inexistante."))
            responses.setdefault("429", _error("Trop de requêtes : réessayez dans quelques instants."))
    return result
