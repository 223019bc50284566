// An event's tax (/v1/taxes, /v1/events/{ev}/tax) as OES has it: name, rate and whether prices include
// it for everyone who may read the event (its ticket list shows them); the invoicing details (tax id,
// company, address…) for the event's team only, as OES gives strangers its public tax schema.
import { Type } from 'typebox';
import { taxModel } from '../domain/event-extras.ts';
import { Flag, Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

const TeamText = (maxLength: number) => ({ kind: 'text' as const, input: Text(maxLength), teamOnly: true });

export const taxResource = eventChild({
  model: taxModel,
  plural: 'taxes',
  onePerEvent: 'tax',
  eventPathAliases: ['/v1/tax'],
  attributes: {
    name: { column: 'name', kind: 'text', input: Type.String({ maxLength: 200 }) },
    rate: { column: 'rate', kind: 'number', input: Type.Number({ minimum: 0, maximum: 100 }) },
    'is-tax-included-in-price': { column: 'isTaxIncludedInPrice', kind: 'boolean', input: Flag },
    country: { column: 'country', ...TeamText(200) },
    'tax-id': { column: 'taxId', kind: 'text', input: Type.String({ maxLength: 200 }), teamOnly: true },
    'should-send-invoice': { column: 'shouldSendInvoice', kind: 'boolean', input: Flag, teamOnly: true },
    'is-invoice-sent': { column: 'isInvoiceSent', kind: 'boolean', input: Flag, teamOnly: true },
    'registered-company': { column: 'registeredCompany', ...TeamText(1000) },
    'contact-name': { column: 'contactName', ...TeamText(1000) },
    phone: { column: 'phone', ...TeamText(200) },
    email: { column: 'email', ...TeamText(254) },
    address: { column: 'address', ...TeamText(2000) },
    city: { column: 'city', ...TeamText(200) },
    state: { column: 'state', ...TeamText(200) },
    zip: { column: 'zip', ...TeamText(50) },
    'invoice-footer': { column: 'invoiceFooter', ...TeamText(10_000) },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
});
