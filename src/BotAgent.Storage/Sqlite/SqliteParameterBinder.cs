using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Sqlite;

/// <summary>
/// Binds the properties of an argument object (the same objects the stores hand Dapper) to a prepared
/// command's parameters by name, with getters compiled once per argument type.
/// </summary>
internal sealed class SqliteParameterBinder
{
    private static readonly ConcurrentDictionary<Type, SqliteParameterBinder?> Binders = new();
    private readonly (string Name, Func<object, object?> Get)[] _properties;

    private SqliteParameterBinder((string, Func<object, object?>)[] properties) => _properties = properties;

    /// <summary>Null when the type has a property this binder does not handle (a list to expand, as Dapper does).</summary>
    public static SqliteParameterBinder? For(Type type) => Binders.GetOrAdd(type, Create);

    public void Bind(SqliteCommand command, object args)
    {
        var parameters = command.Parameters;
        if (parameters.Count == 0)
        {
            foreach (var (name, _) in _properties)
                parameters.Add(new SqliteParameter { ParameterName = name });
        }
        for (var i = 0; i < _properties.Length; i++)
            parameters[i].Value = _properties[i].Get(args) ?? DBNull.Value;
    }

    private static SqliteParameterBinder? Create(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        if (properties.Any(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType)))
            return null;
        return new SqliteParameterBinder([.. properties.Select(p => (p.Name, Getter(type, p)))]);
    }

    private static Func<object, object?> Getter(Type type, PropertyInfo property)
    {
        var args = Expression.Parameter(typeof(object), "args");
        var value = Expression.Property(Expression.Convert(args, type), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), args).Compile();
    }
}
