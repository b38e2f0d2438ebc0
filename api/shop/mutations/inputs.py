"""Inputs shared by the shop's mutations."""

import graphene


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(description="Recipient's name.")
    last_name = graphene.String()
    company_name = graphene.String()
    street_address1 = graphene.String()
    street_address2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String(description="District or county (区/县).")
    postal_code = graphene.String()
    country = graphene.String(description="Country code; only CN is served.")
    country_area = graphene.String(description="Province (省/自治区/直辖市).")
    phone = graphene.String(description="Mainland mobile number.")


def address_data(value) -> dict | None:
    if value is None:
        return None
    data = dict(value)
    for api_name, field in (("street_address1", "street_address_1"),
                            ("street_address2", "street_address_2")):
        if api_name in data:
            data[field] = data.pop(api_name)
    return data
