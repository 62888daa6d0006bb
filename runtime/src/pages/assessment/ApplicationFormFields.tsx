// The application form a ruleset's assessment scheme declares, rendered by @rjsf/antd from the
// server's schema (engine applicationForm): the same form engine as the questions. No submit
// button of its own (the page sends the application with the body and level); the server checks
// the values and names the field at fault.
import Form from '@rjsf/antd';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { formValidator } from '../../../../ui/questionForm/formValidator.ts';
import './assessment.css';

export function ApplicationFormFields({ schema, uiSchema, values, onChange }: { schema: Record<string, unknown>; uiSchema: Record<string, unknown>; values: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void }) {
  // The title is the page's; the form shows its fields.
  const { title: _title, ...fields } = schema;
  return (
    <div className="application-form">
      <Form
        schema={fields as RJSFSchema}
        uiSchema={{ ...(uiSchema as UiSchema), 'ui:submitButtonOptions': { norender: true } }}
        formData={values}
        validator={formValidator}
        experimental_defaultFormStateBehavior={{ constAsDefaults: 'never', emptyObjectFields: 'skipDefaults' }}
        noHtml5Validate
        showErrorList={false}
        onChange={(e) => onChange((e.formData ?? {}) as Record<string, unknown>)}
        onSubmit={() => undefined}
      />
    </div>
  );
}
