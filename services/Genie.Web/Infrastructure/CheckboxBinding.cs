using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Genie.Web.Infrastructure;

/// <summary>
/// Binds booleans (checkboxes) so that a posted value that is no boolean is a plain validation message. The default
/// binder keeps such a value as the attempted one, and the checkbox tag helper then throws while showing the form
/// again — a 500 for a hand-made post.
/// </summary>
public sealed class CheckboxBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? new CheckboxBinder() : null;

    private sealed class CheckboxBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (posted == ValueProviderResult.None)
                return Task.CompletedTask;
            // A checkbox posts "true" before its hidden "false"; the first value is the box's state.
            if (bool.TryParse(posted.FirstValue, out var value))
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, rawValue: null, attemptedValue: null);
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName,
                    $"{bindingContext.ModelMetadata.GetDisplayName()} is either ticked or not.");
            }
            return Task.CompletedTask;
        }
    }
}
